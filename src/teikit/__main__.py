"""`python -m teikit`: the same command line as `teikit` (teikit.entry)."""

from teikit.entry import main

if __name__ == "__main__":
    main()
