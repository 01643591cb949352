"""Extract once, screen many: a fact store for note repositories (SQLite by default, PostgreSQL by URL),
incremental indexing with a process pool or Spark, and screening that streams patient by patient."""
