"""The task queue: files handed over now, read by workers on this machine or on others.

``backend`` chooses the queue's storage from settings (Huey on SQLite, PostgreSQL or Redis);
``submit`` hands files over; ``work`` is what a worker does with each; ``lease`` keeps a
killed worker's task from being lost.
"""
