from codesign.launcher import main

main()
