"""`python -m teikit`: the same command line as `teikit`."""

from teikit.cli import main

if __name__ == "__main__":
    main()
