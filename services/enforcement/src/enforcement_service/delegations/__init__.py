"""Township delegated enforcement (委托执法)."""
