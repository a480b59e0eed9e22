# The project package holds no models (its migrations record the history of the counter,
# now in core, and of the removed job outbox).
