"""The extractor's version, readable without importing LibCST.

Bump it whenever the facts a file yields change, so that cached facts are not reused.
"""

EXTRACTOR_VERSION = "38"
