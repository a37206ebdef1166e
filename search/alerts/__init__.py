"""Saved searches and their e-mail alerts: what a newsroom watches, and who hears of it.

``saved`` (the definitions), ``state`` (what each one has already sent, the rule that decides
what is new, the lock), ``mail`` (the message), ``smtp`` (delivery, the only network I/O),
``run`` (one ``alerts run``, through the engine interface only), ``cli`` (``manchette
alerts``). Nothing here imports Flask; ``web/alert_views.py`` shows the saved searches.
"""
