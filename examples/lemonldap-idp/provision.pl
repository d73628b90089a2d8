# Fills the example's user backend and persistent sessions from the suite's accounts file:
#
#   perl provision.pl ACCOUNTS_JSON USERS_SQLITE PSESSIONS_DIR
#
# Users go into an SQLite table read by LemonLDAP::NG's own DBI authentication and user modules.
# An account with a TOTP secret gets a TOTP device enrolled where LemonLDAP::NG's own TOTP
# registration puts it (Lemonldap::NG::Portal::2F::Register::TOTP): a `_2fDevices` JSON list in
# the user's persistent session, written through LemonLDAP::NG's own session library, so the
# portal asks those accounts, and only those, for a code.
use strict;
use warnings;
use DBI;
use JSON qw(from_json to_json);
use Lemonldap::NG::Common::Session;
use Lemonldap::NG::Common::Util qw(getPSessionID);

my ( $accounts_file, $users_db, $psessions ) = @ARGV;
die "usage: provision.pl ACCOUNTS_JSON USERS_SQLITE PSESSIONS_DIR\n" unless $psessions;

open my $fh, '<:raw', $accounts_file or die "$accounts_file: $!\n";
my $accounts = from_json( do { local $/; <$fh> } );
close $fh;

my $dbh = DBI->connect( "dbi:SQLite:dbname=$users_db", '', '', { RaiseError => 1, AutoCommit => 0 } );
# Passwords in clear: LemonLDAP::NG's DBI module hashes with an SQL function (SHA256(?) and the
# like) that SQLite does not have, and these are throw-away example accounts on loopback.
$dbh->do('CREATE TABLE users (login TEXT PRIMARY KEY, password TEXT NOT NULL, mail TEXT NOT NULL, plan TEXT NOT NULL)');
my $insert = $dbh->prepare('INSERT INTO users (login, password, mail, plan) VALUES (?, ?, ?, ?)');

for my $account (@$accounts) {
    $insert->execute( $account->{login}, $account->{password}, $account->{email}, $account->{plan} );
    next unless $account->{totpSecret};
    # Keyed as the portal looks it up: getPSessionID of the `whatToTrace` value (uid = login).
    my $session = Lemonldap::NG::Common::Session->new( {
            storageModule        => 'Apache::Session::File',
            storageModuleOptions => { Directory => $psessions, LockDirectory => "$psessions/lock" },
            id                   => getPSessionID( $account->{login} ),
            force                => 1,
            kind                 => 'Persistent',
            info                 => {
                _session_uid => $account->{login},
                _utime       => time,
                _2fDevices   => to_json( [ { type => 'TOTP', name => 'Authenticator', _secret => $account->{totpSecret}, epoch => time } ] ),
            },
        }
    );
    die "persistent session of $account->{login}: " . $session->error . "\n" if $session->error;
}
$dbh->commit;
$dbh->disconnect;
