"""Pure parts of the static site: search tokens and shards, charts, page data and labels."""
