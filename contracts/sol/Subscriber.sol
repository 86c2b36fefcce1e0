// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ISemaphore} from "@semaphore-protocol/contracts/interfaces/ISemaphore.sol";
import {ISemaphoreGroups} from "@semaphore-protocol/contracts/interfaces/ISemaphoreGroups.sol";
import {ISemaphoreVerifier} from "@semaphore-protocol/contracts/interfaces/ISemaphoreVerifier.sol";

/// @title Subscriber
/// @notice One contract per onboarded subscriber, deployed by SubscriberFactory as an EIP-1167 minimal-proxy
/// clone with immutable arguments (OpenZeppelin Clones): the subscriber's wallet (zero when none was given), the
/// operator that onboarded them and their Semaphore identity commitment. It executes calls for its controller:
/// the wallet when there is one; otherwise whoever proves knowledge of the identity behind the commitment with a
/// Semaphore v4 proof that binds the call (`executeWithProof`).
/// @dev Why owner, operator and commitment live in the clone's code and not in storage: a fresh storage slot costs
/// 22,100 gas, code costs 200 gas per byte (72 bytes of arguments). Storage is only written when the owner changes
/// or a proof is spent (the nonce). Ownership is this small override rather than OpenZeppelin's Ownable (whose
/// owner is a storage slot); the event and errors keep Ownable's signatures so existing tooling reads them.
contract Subscriber {
    /// @dev Same signature as OpenZeppelin Ownable's event.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice This contract called `target` for its owner or for a proof.
    event Executed(address indexed target, uint256 value, bytes4 selector);
    /// @notice A Semaphore proof authorised the call of the same transaction; `nullifier` is its one-time tag.
    event ProofAccepted(uint256 indexed nonce, uint256 nullifier);
    /// @notice Native currency arrived.
    event Received(address indexed from, uint256 amount);

    /// @dev Same signature as OpenZeppelin Ownable's error.
    error OwnableUnauthorizedAccount(address account);
    error OwnableInvalidOwner(address owner);
    error NotAClone();
    /// @notice A wallet controls this contract, so identity proofs are not accepted (see the package README).
    error ProofsNotAccepted(address owner);
    error ProofNotForThisSubscriber(uint256 merkleTreeRoot);
    error ProofDepthNotSupported(uint256 merkleTreeDepth);
    error ProofScopeMismatch(uint256 expected, uint256 got);
    error ProofMessageMismatch(uint256 expected, uint256 got);
    /// @notice The commitment is no longer a member of the subscriber group (revoked or erased).
    error IdentityRevoked(uint256 commitment);
    error InvalidProof();

    /// @notice The tree depth of the proofs `executeWithProof` takes: a group of one member, the subscriber's own
    /// commitment, whose Merkle root is that commitment (a LeanIMT with one leaf has the leaf as root).
    uint256 public constant PROOF_DEPTH = 1;

    /// @dev Immutables live in the implementation's code, which every clone runs through DELEGATECALL.
    address private immutable _factory = msg.sender;
    ISemaphoreGroups private immutable _semaphore;
    ISemaphoreVerifier private immutable _verifier;
    uint256 private immutable _groupId;

    bool private _ownerMoved;
    address private _movedOwner;
    /// @dev Number of proofs spent; part of the next proof's scope, so every proof is single-use.
    uint256 private _proofNonce;

    constructor(ISemaphoreGroups semaphore_, ISemaphoreVerifier verifier_, uint256 groupId_) {
        _semaphore = semaphore_;
        _verifier = verifier_;
        _groupId = groupId_;
    }

    /// @notice The wallet that controls this contract; zero while the subscriber controls it by proof only.
    function owner() public view returns (address) {
        if (_ownerMoved) return _movedOwner;
        (address initialOwner, , ) = _args();
        return initialOwner;
    }

    /// @notice The operator (SM-DP+ / MNO key) whose factory call created this contract.
    function operator() public view returns (address) {
        (, address creator, ) = _args();
        return creator;
    }

    /// @notice The subscriber's Semaphore identity commitment.
    function identityCommitment() public view returns (bytes32) {
        (, , bytes32 commitment) = _args();
        return commitment;
    }

    /// @notice The Semaphore contract and group whose membership the proof path requires.
    function identityGroup() external view returns (address semaphore, uint256 groupId) {
        return (address(_semaphore), _groupId);
    }

    /// @notice The nonce the next proof's scope must name.
    function proofNonce() external view returns (uint256) {
        return _proofNonce;
    }

    /// @notice The scope a proof for the call with `nonce` must carry: keccak256(abi.encode(chainid, this, nonce)).
    /// Binding chain, contract and nonce makes the proof useless anywhere else and after its first use; Semaphore's
    /// nullifier is Poseidon(scope, secret), so it is a fresh value for every nonce.
    function proofScope(uint256 nonce) public view returns (uint256) {
        return uint256(keccak256(abi.encode(block.chainid, address(this), nonce)));
    }

    /// @notice The message a proof must carry to authorise `target.call{value}(data)`.
    function proofMessage(address target, uint256 value, bytes calldata data) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(target, value, keccak256(data))));
    }

    /// @dev The owner, or this contract itself: a call `executeWithProof` makes to this contract (attach a wallet,
    /// for one) is authorised by the proof.
    modifier onlyOwner() {
        if (msg.sender != owner() && msg.sender != address(this)) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    /// @notice Calls `target` with `value` and `data` on behalf of the owner; bubbles up a revert. A plain
    /// transfer to a wallet (empty `data`) is allowed, which is why the target is not required to have code.
    function execute(address target, uint256 value, bytes calldata data) external onlyOwner returns (bytes memory) {
        return _call(target, value, data);
    }

    /// @notice Calls `target` with `value` and `data` when `proof` is a valid Semaphore v4 proof of the identity
    /// behind this contract's commitment, whose scope is `proofScope(proofNonce())` and whose message is
    /// `proofMessage(target, value, data)`, while the commitment is still a member of the subscriber group. Only
    /// while no wallet owns the contract. Anyone may submit it (a relayer pays the gas): the proof is the authority.
    function executeWithProof(
        address target,
        uint256 value,
        bytes calldata data,
        ISemaphore.SemaphoreProof calldata proof
    ) external returns (bytes memory) {
        address currentOwner = owner();
        if (currentOwner != address(0)) revert ProofsNotAccepted(currentOwner);
        uint256 commitment = uint256(identityCommitment());
        if (proof.merkleTreeRoot != commitment) revert ProofNotForThisSubscriber(proof.merkleTreeRoot);
        if (proof.merkleTreeDepth != PROOF_DEPTH) revert ProofDepthNotSupported(proof.merkleTreeDepth);
        uint256 nonce = _proofNonce;
        uint256 scope = proofScope(nonce);
        if (proof.scope != scope) revert ProofScopeMismatch(scope, proof.scope);
        uint256 message = proofMessage(target, value, data);
        if (proof.message != message) revert ProofMessageMismatch(message, proof.message);
        if (!_semaphore.hasMember(_groupId, commitment)) revert IdentityRevoked(commitment);
        bool valid = _verifier.verifyProof(
            [proof.points[0], proof.points[1]],
            [[proof.points[2], proof.points[3]], [proof.points[4], proof.points[5]]],
            [proof.points[6], proof.points[7]],
            [proof.merkleTreeRoot, proof.nullifier, _semaphoreHash(message), _semaphoreHash(scope)],
            PROOF_DEPTH
        );
        if (!valid) revert InvalidProof();
        _proofNonce = nonce + 1;
        emit ProofAccepted(nonce, proof.nullifier);
        return _call(target, value, data);
    }

    /// @notice Hands control to `newOwner`: a new wallet of the same subscriber, or the first one of a subscriber
    /// who had none (through `executeWithProof` calling this contract). Proofs are refused from then on.
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

    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    function _call(address target, uint256 value, bytes calldata data) private returns (bytes memory) {
        bytes4 selector = data.length >= 4 ? bytes4(data[:4]) : bytes4(0);
        emit Executed(target, value, selector);
        (bool success, bytes memory result) = target.call{value: value}(data);
        return Address.verifyCallResult(success, result);
    }

    /// @dev How Semaphore maps a message or scope into the SNARK field (Semaphore.sol `_hash`).
    function _semaphoreHash(uint256 value) private pure returns (uint256) {
        return uint256(keccak256(abi.encodePacked(value))) >> 8;
    }

    /// @dev Immutable arguments appended to the clone's code: abi.encodePacked(owner, operator, commitment).
    function _args() private view returns (address initialOwner, address creator, bytes32 commitment) {
        bytes memory args = Clones.fetchCloneArgs(address(this));
        if (args.length != 72) revert NotAClone();
        assembly ("memory-safe") {
            initialOwner := shr(96, mload(add(args, 0x20)))
            creator := shr(96, mload(add(args, 0x34)))
            commitment := mload(add(args, 0x48))
        }
    }
}
