#!/usr/bin/perl
# PC/SC helper for the zkesim LPA: connects to a reader through pcscd (Debian libpcsc-perl) and relays
# APDUs as hex lines on stdin/stdout. First line out: "ready <reader name>" or "error: ...".
# Usage: pcsc-helper.pl [READER-SUBSTRING]
use strict;
use warnings;
use Chipcard::PCSC;
use Chipcard::PCSC::Card;

$| = 1;
my $wanted = $ARGV[0] // '';

sub fail {
    print "error: $_[0]\n";
    exit 1;
}

my $context = Chipcard::PCSC->new() or fail("cannot reach pcscd ($Chipcard::PCSC::errno)");
my @readers = grep { defined && length } $context->ListReaders();
fail('no PC/SC reader found') unless @readers;
my ($reader) = $wanted eq '' ? @readers : grep { index($_, $wanted) >= 0 } @readers;
fail("no reader matches \"$wanted\" (readers: " . join(', ', @readers) . ')') unless defined $reader;
my $card = Chipcard::PCSC::Card->new($context, $reader, $Chipcard::PCSC::SCARD_SHARE_SHARED)
    or fail("no card in \"$reader\" ($Chipcard::PCSC::errno)");
print "ready $reader\n";

while (my $line = <STDIN>) {
    $line =~ s/\s+//g;
    next if $line eq '';
    if ($line !~ /^(?:[0-9A-Fa-f]{2})+$/) {
        print "error: expected an APDU in hex\n";
        next;
    }
    my @apdu = map { hex } ($line =~ /(..)/g);
    my $response = $card->Transmit(\@apdu);
    if (!defined $response) {
        print "error: transmit failed ($Chipcard::PCSC::errno)\n";
        next;
    }
    print uc(join('', map { sprintf('%02x', $_) } @$response)), "\n";
}
$card->Disconnect($Chipcard::PCSC::SCARD_LEAVE_CARD);
