# LemonLDAP::NG's portal as Debian ships it (/usr/share/lemonldap-ng/portal/htdocs/index.psgi),
# plus the static files and Debian's shared JavaScript that nginx serves beside it in Debian's
# portal-nginx.conf: under starman alone nothing else would, and the portal's pages fill in every
# label and button from its static translations.
use strict;
use warnings;
use Plack::App::File;
use Plack::Builder;
use Lemonldap::NG::Portal::Main;

my $portal = Lemonldap::NG::Portal::Main->run( {} );

builder {
    mount '/static/' =>
      Plack::App::File->new( root => '/usr/share/lemonldap-ng/portal/htdocs/static' )->to_app;
    mount '/javascript/' => Plack::App::File->new( root => '/usr/share/javascript' )->to_app;
    mount '/' => $portal;
};
