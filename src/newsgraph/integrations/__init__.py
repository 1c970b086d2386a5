"""Integrations with other NLP toolkits."""
