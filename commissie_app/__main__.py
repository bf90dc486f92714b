import multiprocessing

from commissie_app.cli import main

if __name__ == "__main__":
    # The PyInstaller bundle starts from this file, and the letter-template worker process
    # (documents/template_sandbox.py) starts the bundle's executable again: this makes that run the worker.
    multiprocessing.freeze_support()
    raise SystemExit(main())
