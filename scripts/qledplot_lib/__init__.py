"""The parts of scripts/qledplot (the entry point, which puts this directory's parent on
sys.path): common.py constants and messages, cli.py the command line, run.py reading a run
output, plotter.py the figure helpers and the Plotter class, fig_jv.py / fig_gamma.py /
fig_band.py the figures it draws."""
