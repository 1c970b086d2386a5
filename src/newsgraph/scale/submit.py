"""The driver script for ``spark-submit``: the same options as ``newsgraph spark run``.

    spark-submit --archives env.tar.gz#env --conf spark.pyspark.python=./env/bin/python \\
        "$(python -c 'import newsgraph.scale.submit as m; print(m.__file__)')" \\
        --input s3a://bucket/warc/ --output s3a://bucket/newsgraph/

The master and the executors come from spark-submit (``--master`` is left unset).
"""

from __future__ import annotations

from newsgraph.interfaces.cli.corpus import spark_run

if __name__ == "__main__":
    spark_run()
