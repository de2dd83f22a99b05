"""Policy-document assistant: rules table, hybrid retrieval and a numeric checker over Chinese metrology regulations."""

__version__ = "0.1.0"
