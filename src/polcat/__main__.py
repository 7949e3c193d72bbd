from polcat.cli import main

main()
