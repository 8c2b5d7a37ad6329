"""From evidence to the report: the framework matrix, cell summaries and goal judgements."""
