"""Answer components: one module per kind of answer (see compose.py for the dispatch)."""
