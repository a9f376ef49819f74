"""teikit.convert"""
