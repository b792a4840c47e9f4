from shuijie.cli import main

main()
