"""Engines that run the stages over many articles: `local` (this machine's cores, one writer) and `ray`
(a Ray Data pipeline, optional extra `eventwatch[scale]`). Both store the same rows for the same input."""
