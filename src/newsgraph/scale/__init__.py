"""Running the pipeline beyond one process: Apache Spark jobs and loading their output into the store."""
