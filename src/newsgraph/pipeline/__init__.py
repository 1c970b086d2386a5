"""Pipeline: a registry of named stages with contracts, and a runner."""

from newsgraph.pipeline.registry import Stage, get_stage, registered_stages, stage
from newsgraph.pipeline.runner import DEFAULT_STAGES, Pipeline, analyze_stream

__all__ = ["DEFAULT_STAGES", "Pipeline", "Stage", "analyze_stream", "get_stage", "registered_stages", "stage"]
