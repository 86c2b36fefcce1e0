// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Semaphore} from "@semaphore-protocol/contracts/Semaphore.sol";
import {Subscriber} from "./Subscriber.sol";

/// @title SubscriberFactory
/// @notice The subscriber registry: onboards subscribers (one Subscriber clone per identity commitment, EIP-1167
/// with immutable arguments) and administers the Semaphore group of every subscriber's commitment. The clone
/// address is deterministic (CREATE2, salt = the commitment), so a retried onboarding returns the contract the
/// first one created instead of making a second.
contract SubscriberFactory is AccessControl {
    /// @notice Accounts allowed to onboard and revoke subscribers (the operator's keys, the stack's account).
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice The Subscriber implementation every clone delegates to.
    address public immutable implementation;
    /// @notice Semaphore's own contract, which holds the group.
    Semaphore public immutable semaphore;
    /// @notice The Semaphore group of subscriber commitments; this factory is its admin.
    uint256 public immutable groupId;

    event SubscriberCreated(address indexed subscriber, address indexed owner, address indexed operator, bytes32 commitment);
    /// @notice The commitment left the group: its Subscriber refuses proofs, dapps stop accepting new proofs.
    event SubscriberRevoked(bytes32 indexed commitment);

    error LengthMismatch(uint256 commitments, uint256 wallets);

    /// @param merkleTreeDuration How long (seconds) Semaphore still accepts a proof against a superseded group root;
    /// it is also how long a removed member can still prove membership to a dapp (see the package README).
    constructor(address admin, address firstOperator, Semaphore semaphore_, uint256 merkleTreeDuration) {
        semaphore = semaphore_;
        groupId = semaphore_.createGroup(address(this), merkleTreeDuration);
        implementation = address(new Subscriber(semaphore_, semaphore_.verifier(), groupId));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, firstOperator);
    }

    /// @notice Onboards the subscriber with identity `commitment` and optional `wallet` (zero: none): creates their
    /// Subscriber contract and adds the commitment to the group. Idempotent: when this operator already onboarded
    /// the same commitment and wallet, it returns that contract and changes nothing.
    function onboard(bytes32 commitment, address wallet) external onlyRole(OPERATOR_ROLE) returns (address subscriber) {
        bool created;
        (subscriber, created) = _create(commitment, wallet);
        if (created) semaphore.addMember(groupId, uint256(commitment));
    }

    /// @notice Onboards several subscribers in one transaction; one group insertion for all new commitments.
    function onboardMany(
        bytes32[] calldata commitments,
        address[] calldata wallets
    ) external onlyRole(OPERATOR_ROLE) returns (address[] memory subscribers) {
        if (commitments.length != wallets.length) revert LengthMismatch(commitments.length, wallets.length);
        subscribers = new address[](commitments.length);
        uint256[] memory added = new uint256[](commitments.length);
        uint256 count = 0;
        for (uint256 i = 0; i < commitments.length; ++i) {
            bool created;
            (subscribers[i], created) = _create(commitments[i], wallets[i]);
            if (created) added[count++] = uint256(commitments[i]);
        }
        if (count == 0) return subscribers;
        assembly ("memory-safe") {
            mstore(added, count)
        }
        semaphore.addMembers(groupId, added);
    }

    /// @notice Removes `commitment` from the group (revocation, erasure). `merkleProofSiblings` are the siblings
    /// of its leaf in the current tree (`generateMerkleProof` of the Semaphore group library).
    function revoke(bytes32 commitment, uint256[] calldata merkleProofSiblings) external onlyRole(OPERATOR_ROLE) {
        semaphore.removeMember(groupId, uint256(commitment), merkleProofSiblings);
        emit SubscriberRevoked(commitment);
    }

    /// @notice The address `onboard(commitment, wallet)` called by `operator` deploys to.
    function subscriberAddress(bytes32 commitment, address wallet, address operator) public view returns (address) {
        return
            Clones.predictDeterministicAddressWithImmutableArgs(
                implementation,
                abi.encodePacked(wallet, operator, commitment),
                commitment,
                address(this)
            );
    }

    function _create(bytes32 commitment, address wallet) private returns (address subscriber, bool created) {
        subscriber = subscriberAddress(commitment, wallet, msg.sender);
        if (subscriber.code.length != 0) return (subscriber, false);
        Clones.cloneDeterministicWithImmutableArgs(implementation, abi.encodePacked(wallet, msg.sender, commitment), commitment);
        emit SubscriberCreated(subscriber, wallet, msg.sender, commitment);
        return (subscriber, true);
    }
}
