"""teikit.transform"""
