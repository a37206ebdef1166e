"""The Whoosh engine: the index on disk (schema, writer and sink, query execution, columns,
collection, check, stats), behind ``engines.base.Engine`` (``engine.WhooshEngine``)."""
