-- The layers, in order; a glob per layer picks up whatever files it holds.
Include "stack/01-transport/*.cfg.lua"
Include "stack/02-stream/*.cfg.lua"
Include "stack/03-stanza/*.cfg.lua"
Include "stack/04-protocol/*.cfg.lua"
Include "stack/05-services/*.cfg.lua"
Include "stack/06-storage/*.cfg.lua"
Include "stack/07-interfaces/*.cfg.lua"
Include "stack/08-integration/*.cfg.lua"

VirtualHost "example.org"
