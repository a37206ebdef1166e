"""Saved searches and their e-mail alerts: what a newsroom watches, and who hears of it.

Above the engines, like ``web/``: ``saved`` (the definitions), ``state`` (what each one has
already sent, the lock), ``mail`` (the message), ``smtp`` (delivery, the only network I/O),
``run`` (one ``alerts run``), ``cli`` (the ``manchette alerts`` commands).
"""
