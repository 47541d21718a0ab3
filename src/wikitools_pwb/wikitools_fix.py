"""Fix broken wikitext with wikitools, as a pywikibot bot.

The pages are fixed with the wikitools repair engine (safe fixes only, unless -unsafe)
and saved against the revision read: an edit made meanwhile is never overwritten (the
fixes are re-applied to the latest revision once). Each page's outcome is printed when
it is final (changed, would change, unchanged, skipped, conflict, refused); a page is
counted as changed only when the wiki stored a new revision.

Usage:

    pwb [global options] wikitools_fix [generators] [options]

Examples:

    pwb wikitools_fix -site:mywiki:en -cat:Pages_with_stray_braces -simulate
    pwb wikitools_fix -site:mywiki:en -cat:Pages_with_stray_braces -always -pt:10

Global options (-simulate, -site:, -user:, -pt:, -dir: ...) may be given before or after
the script name. Under -simulate nothing is saved: pages are reported as "would change".

The following parameters are supported:

-always           Save without asking (asynchronously, on pywikibot's put queue).

-summary:TEXT     The edit summary (default: the i18n message "wikitools-fix-summary",
                  naming the fixes applied).

-minor            Mark the edits as minor.

-unsafe           Apply unsafe fixes too (fixes that may change what readers see).

-tags:A,B         Change tags to add to each edit (they must exist on the wiki).

-passwordfile:F   pywikibot's password file (the password_file setting of a
                  user-config.py), for runs without a user-config.py.

&params;
"""

from wikitools.bot.pwb_script import docuReplacements, main

__all__ = ["docuReplacements", "main"]

if __name__ == "__main__":
    main()
