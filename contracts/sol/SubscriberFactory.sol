// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Subscriber} from "./Subscriber.sol";

/// @title SubscriberFactory
/// @notice Onboards subscribers: one Subscriber clone (EIP-1167 with immutable arguments) per subscriber wallet.
/// The clone address is deterministic (CREATE2, salt = the owner wallet), so a retried onboarding cannot create
/// a second contract for the same wallet and operator.
contract SubscriberFactory is AccessControl {
    /// @notice Accounts allowed to onboard subscribers (the operator's keys).
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice The Subscriber implementation every clone delegates to.
    address public immutable implementation;

    event SubscriberCreated(address indexed subscriber, address indexed owner, address indexed operator);

    error LengthMismatch(uint256 owners, uint256 commitments);

    constructor(address admin, address firstOperator) {
        implementation = address(new Subscriber());
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, firstOperator);
    }

    /// @notice Creates the Subscriber contract of `owner`; a non-zero `commitment` is set at once.
    function createSubscriber(address owner, bytes32 commitment) external onlyRole(OPERATOR_ROLE) returns (address) {
        return _create(owner, commitment);
    }

    /// @notice Onboards several subscribers in one transaction (the 21,000 gas base cost is shared).
    function createSubscribers(
        address[] calldata owners,
        bytes32[] calldata commitments
    ) external onlyRole(OPERATOR_ROLE) returns (address[] memory created) {
        if (owners.length != commitments.length) revert LengthMismatch(owners.length, commitments.length);
        created = new address[](owners.length);
        for (uint256 i = 0; i < owners.length; ++i) {
            created[i] = _create(owners[i], commitments[i]);
        }
    }

    /// @notice The address `createSubscriber(owner, …)` called by `operator` deploys to.
    function subscriberAddress(address owner, address operator) external view returns (address) {
        return
            Clones.predictDeterministicAddressWithImmutableArgs(
                implementation,
                abi.encodePacked(owner, operator),
                _salt(owner),
                address(this)
            );
    }

    function _create(address owner, bytes32 commitment) private returns (address subscriber) {
        subscriber = Clones.cloneDeterministicWithImmutableArgs(
            implementation,
            abi.encodePacked(owner, msg.sender),
            _salt(owner)
        );
        emit SubscriberCreated(subscriber, owner, msg.sender);
        if (commitment != bytes32(0)) {
            Subscriber(payable(subscriber)).setIdentityCommitment(commitment);
        }
    }

    function _salt(address owner) private pure returns (bytes32) {
        return bytes32(uint256(uint160(owner)));
    }
}
