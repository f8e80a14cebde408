"""`python -m pmctl` runs the command-line interface."""

from pmctl.cli.app import main

if __name__ == "__main__":
    main()
