"""A decoder LM whose attention class is looked up by name in a registry that the
implementations fill with a decorator (the registry lives in one module, the classes in
another, and the lookup imports them lazily)."""
