import sys

from rangeviz.cli import main

sys.exit(main())
