from azresp_cli.cli.main import main

main()
