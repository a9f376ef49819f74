"""teikit.publish"""
