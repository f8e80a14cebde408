"""The pure core: models and rules. No I/O, no imports from cli, services, adapters or ui."""
