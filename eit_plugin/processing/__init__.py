"""Processing provider ``eit`` and its algorithms (one module per algorithm)."""
