"""The OpenSearch engine: settings, index template, bulk sink (``store``), query DSL
(``compile``), highlights, migration, behind ``engines.base.Engine`` (``engine.OpenSearchEngine``).
"""
