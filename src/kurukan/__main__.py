from kurukan.cli import main

raise SystemExit(main())
