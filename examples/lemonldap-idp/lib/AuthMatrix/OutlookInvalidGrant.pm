# The example's `outlook-invalid-grant` fault, as a LemonLDAP::NG portal plugin (loaded through
# the configuration's `customPlugins`): the OpenID Connect token endpoint refuses the authorization
# code of Outlook-family accounts (outlook.com, hotmail.com, live.com) exactly as LemonLDAP::NG
# itself refuses a code it will not honour: HTTP 400 and `{"error":"invalid_grant"}` through the
# issuer's own sendOIDCError, with the CORS headers the portal adds to every JSON answer.
#
# LemonLDAP::NG 2.16 has no hook on the authorization-code grant before its tokens are made (its
# token-time hooks, oidcGenerateAccessToken and oidcGenerateIDToken, can only fail the request as
# a 500 server_error), so the plugin takes over the issuer's token route, a route plugins loaded
# after the issuer may redefine, and hands every other request to the issuer's own token().
package AuthMatrix::OutlookInvalidGrant;

use strict;
use Mouse;

extends 'Lemonldap::NG::Portal::Main::Plugin';

use constant ISSUER => 'Lemonldap::NG::Portal::Issuer::OpenIDConnect';

has issuer => ( is => 'rw' );

sub init {
    my ($self) = @_;
    my $issuer = $self->p->loadedModules->{ +ISSUER };
    unless ($issuer) {
        $self->logger->error('outlook-invalid-grant needs the OpenID Connect issuer enabled');
        return 0;
    }
    $self->issuer($issuer);
    $self->addUnauthRoute(
        $issuer->path => { $self->conf->{oidcServiceMetaDataTokenURI} => 'token' },
        [ 'GET', 'POST' ]
    );
    return 1;
}

sub token {
    my ( $self, $req ) = @_;
    my $issuer = $self->issuer;
    my $code   = $req->param('code');
    # As the issuer does: the client is checked before its code is looked at.
    if (   ( $req->param('grant_type') // '' ) eq 'authorization_code'
        and $code
        and $issuer->checkEndPointAuthenticationCredentials($req) )
    {
        my $codeSession = $issuer->getAuthorizationCode($code);
        my $user        = $codeSession
          && $self->p->getApacheSession( $codeSession->data->{user_session_id} );
        my $mail = $user ? ( $user->data->{mail} // '' ) : '';
        if ( $mail =~ /\@(?:outlook|hotmail|live)\.com\z/i ) {
            # A refused code is spent, as the issuer spends every code it is shown.
            $codeSession->remove();
            $self->userLogger->warn("outlook-invalid-grant: refused the code of $mail");
            return $issuer->sendOIDCError( $req, 'invalid_grant', 400 );
        }
    }
    return $issuer->token($req);
}

1;
