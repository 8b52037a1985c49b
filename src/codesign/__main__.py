from codesign.cli.launcher import main

main()
