-- ejabberd's option, copied from an old configuration.
max_fsm_queue = 10000

VirtualHost "example.org"
