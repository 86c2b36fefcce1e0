// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title Subscriber
/// @notice One contract per onboarded subscriber, deployed by SubscriberFactory as an EIP-1167 minimal-proxy
/// clone with immutable arguments (OpenZeppelin Clones). It holds the subscriber's wallet as owner, the operator
/// that created it, and the subscriber's identity commitment, and executes calls only for its owner.
/// @dev Why the owner and operator live in the clone's code and not in storage: writing a fresh storage slot
/// costs 22,100 gas, so an Ownable-style `_owner` slot plus an operator slot would push one onboarding far past
/// the 60,000 gas aim. The clone's immutable arguments (`owner ‖ operator`, 40 bytes) cost 200 gas per byte of
/// code instead. Storage is only written when the owner changes or the commitment is set. Ownership therefore
/// uses this small override rather than OpenZeppelin's Ownable (whose owner is a storage slot set in its
/// constructor); the event and error keep Ownable's signatures so existing tooling reads them.
contract Subscriber {
    /// @dev Same signature as OpenZeppelin Ownable's event.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice The identity commitment (the identity layer's public value) changed.
    event IdentityCommitmentSet(bytes32 previousCommitment, bytes32 newCommitment);
    /// @notice The owner made this contract call `target`.
    event Executed(address indexed target, uint256 value, bytes4 selector);
    /// @notice Native currency arrived.
    event Received(address indexed from, uint256 amount);

    /// @dev Same signature as OpenZeppelin Ownable's error.
    error OwnableUnauthorizedAccount(address account);
    error OwnableInvalidOwner(address owner);
    error NotOperator(address account);
    error InvalidCommitment();
    error NotAClone();

    /// @dev The factory that deployed the implementation. An immutable lives in the implementation's code, which
    /// every clone runs through DELEGATECALL, so all clones read the same value at no storage cost.
    address private immutable _factory = msg.sender;

    /// @dev Set once the owner has moved away from the creation-time owner in the immutable arguments.
    bool private _ownerMoved;
    address private _movedOwner;
    bytes32 private _identityCommitment;

    /// @notice The subscriber's wallet that controls this contract.
    function owner() public view returns (address) {
        if (_ownerMoved) return _movedOwner;
        (address initialOwner, ) = _args();
        return initialOwner;
    }

    /// @notice The operator (SM-DP+ / MNO key) whose factory call created this contract.
    function operator() public view returns (address) {
        (, address creator) = _args();
        return creator;
    }

    /// @notice The subscriber's identity commitment, zero until the identity layer sets it.
    function identityCommitment() external view returns (bytes32) {
        return _identityCommitment;
    }

    modifier onlyOwner() {
        if (msg.sender != owner()) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    /// @notice Calls `target` with `value` and `data` on behalf of the owner; bubbles up a revert. A plain
    /// transfer to a wallet (empty `data`) is allowed, which is why the target is not required to have code.
    function execute(address target, uint256 value, bytes calldata data) external onlyOwner returns (bytes memory) {
        bytes4 selector = data.length >= 4 ? bytes4(data[:4]) : bytes4(0);
        emit Executed(target, value, selector);
        (bool success, bytes memory result) = target.call{value: value}(data);
        return Address.verifyCallResult(success, result);
    }

    /// @notice Hands control to `newOwner` (a new wallet of the same subscriber).
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert OwnableInvalidOwner(address(0));
        address previous = owner();
        _ownerMoved = true;
        _movedOwner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }

    /// @notice The SubscriberFactory that created this contract.
    function factory() external view returns (address) {
        return _factory;
    }

    /// @notice Sets the identity commitment. Only the creating operator, or the factory while onboarding, may do
    /// so (the identity layer will add a proof-based path); zero is refused so "unset" stays unambiguous.
    function setIdentityCommitment(bytes32 newCommitment) external {
        if (msg.sender != operator() && msg.sender != _factory) revert NotOperator(msg.sender);
        if (newCommitment == bytes32(0)) revert InvalidCommitment();
        emit IdentityCommitmentSet(_identityCommitment, newCommitment);
        _identityCommitment = newCommitment;
    }

    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    /// @dev Immutable arguments appended to the clone's code: abi.encodePacked(owner, operator).
    function _args() private view returns (address initialOwner, address creator) {
        bytes memory args = Clones.fetchCloneArgs(address(this));
        if (args.length != 40) revert NotAClone();
        assembly ("memory-safe") {
            initialOwner := shr(96, mload(add(args, 0x20)))
            creator := shr(96, mload(add(args, 0x34)))
        }
    }
}
