"""teikit.core"""
