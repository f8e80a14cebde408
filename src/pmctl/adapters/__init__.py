"""Adapters: the only code that touches files, git, templates, the network and YAML."""
