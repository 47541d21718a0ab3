"""The i18n messages package of the wikitools pywikibot scripts.

``pwb`` imports ``wikitools_pwb.i18n`` when it runs one of our scripts and hands it to
``pywikibot.i18n.set_messages_package``; messages are read from ``<bundle>/<lang>.json``
(keys ``<bundle>-<key>``), here the ``wikitools`` bundle.
"""
