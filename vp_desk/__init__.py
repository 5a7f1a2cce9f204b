"""vp_desk: the confidential adviser's desk.

Importing this package is cheap on purpose: the command line must start fast
and must never pull in Textual. Sub-packages are imported where they are used.
"""

__version__ = "0.1.0"
