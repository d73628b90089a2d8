# LemonLDAP::NG's portal as Debian ships it (/usr/share/lemonldap-ng/portal/htdocs/index.psgi),
# plus the static files and Debian's shared JavaScript that nginx serves beside it in Debian's
# portal-nginx.conf: under starman alone nothing else would, and the portal's pages fill in every
# label and button from its static translations.
use strict;
use warnings;
use Plack::App::File;
use Plack::Builder;
use Plack::Request;
use Plack::Util;
use Lemonldap::NG::Portal::Main;

my $portal = Lemonldap::NG::Portal::Main->run( {} );

# Always on, not a fault: this models a provider that confirms each step with a toast. The page
# shown right after the password is accepted carries <div role="alert">Authentication success</div>,
# and the page right after a TOTP code is accepted <div role="alert">Code verified. Authentication
# success</div>, the way a real provider's success toast reads. The portal answers a login POST
# with its next page (the TOTP form, the consent) and a TOTP POST with a redirect: a redirect
# leaves a short-lived cookie of this middleware's own (two starman workers share no memory),
# and the next HTML page takes the toast and clears it. LemonLDAP::NG's own texts are untouched.
my %TOAST = (
    password => 'Authentication success',
    code     => 'Code verified. Authentication success',
);
my $MARKER = 'authmatrix_toast';

# Which step a request submits: the login form (user and password) or the TOTP form.
sub step_of {
    my ($env) = @_;
    return undef unless $env->{REQUEST_METHOD} eq 'POST';
    my $params = Plack::Request->new($env)->body_parameters;
    return 'code' if $env->{PATH_INFO} eq '/totp2fcheck' && defined $params->get('code');
    return 'password' if defined $params->get('user') && defined $params->get('password');
    return undef;
}

# The page with the toast after its <body> tag; the page as it was when the step was not
# accepted (the portal shows its error with role="alert", or the same form again).
sub with_toast {
    my ( $html, $step, $pending ) = @_;
    my $again = { password => qr/name="password"/, code => qr/name="code"/ };
    my $accepted = $step && $html !~ /role="alert"/ && $html !~ $again->{$step};
    my $toast = $accepted ? $TOAST{$step} : $step ? undef : $pending && $TOAST{$pending};
    return $html unless $toast;
    # The portal's Content-Security-Policy allows no inline style: its own Bootstrap classes.
    $html =~ s{(<body\b[^>]*>)}{$1\n<div role="alert" class="alert alert-success text-center mb-0">$toast</div>}i;
    return $html;
}

sub toasts {
    my ($app) = @_;
    return sub {
        my ($env) = @_;
        my $step = step_of($env);
        my ($pending) = ( $env->{HTTP_COOKIE} // '' ) =~ /(?:^|;\s*)\Q$MARKER\E=(password|code)\b/;
        return Plack::Util::response_cb(
            $app->($env),
            sub {
                my ($res) = @_;
                my ( $status, $headers ) = @$res;
                if ( $step && $status =~ /^30[1237]$/ ) {
                    Plack::Util::header_push( $headers, 'Set-Cookie',
                        "$MARKER=$step; Path=/; Max-Age=60; HttpOnly; SameSite=Lax" );
                    return;
                }
                return unless $status == 200 && ( Plack::Util::header_get( $headers, 'Content-Type' ) // '' ) =~ m{^text/html}i;
                return unless $step || $pending;
                Plack::Util::header_push( $headers, 'Set-Cookie', "$MARKER=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" )
                  if $pending;
                if ( ref $res->[2] eq 'ARRAY' ) {
                    my $html = with_toast( join( '', @{ $res->[2] } ), $step, $pending );
                    $res->[2] = [$html];
                    Plack::Util::header_set( $headers, 'Content-Length', do { use bytes; length $html } );
                    return;
                }
                # A streamed body: buffered whole, sent without Content-Length (Plack removes it).
                my ( $buffer, $done ) = ('');
                return sub {
                    my ($chunk) = @_;
                    if ( defined $chunk ) { $buffer .= $chunk; return '' }
                    return undef if $done++;
                    return with_toast( $buffer, $step, $pending );
                };
            }
        );
    };
}

builder {
    mount '/static/' =>
      Plack::App::File->new( root => '/usr/share/lemonldap-ng/portal/htdocs/static' )->to_app;
    mount '/javascript/' => Plack::App::File->new( root => '/usr/share/javascript' )->to_app;
    mount '/' => toasts($portal);
};
