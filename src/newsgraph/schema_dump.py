"""Print the Article JSON Schema: ``python -m newsgraph.schema_dump > schema/article.schema.json``."""

import json

from newsgraph.json_schema import article_json_schema

if __name__ == "__main__":
    print(json.dumps(article_json_schema(), indent=2, ensure_ascii=False))
