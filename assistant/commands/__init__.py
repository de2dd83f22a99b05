"""CLI command modules; each registers its commands on assistant.cli.app when imported."""
