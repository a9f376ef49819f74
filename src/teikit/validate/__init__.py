"""teikit.validate"""
