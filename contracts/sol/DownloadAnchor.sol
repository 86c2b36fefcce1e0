// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title DownloadAnchor
/// @notice The SM-DP+ anchors batches of download (profile installation) events: it submits the Merkle root of
/// a batch of event records, and anyone can later prove one event's inclusion against the on-chain root.
/// Records hold only hashes and codes, never an EID, ICCID or personal data.
/// @dev Leaves use OpenZeppelin StandardMerkleTree hashing, keccak256(bytes.concat(keccak256(abi.encode(...)))),
/// so the off-chain OpenZeppelin merkle-tree package and MerkleProof agree, and a 64-byte node can never pass as a leaf.
contract DownloadAnchor is AccessControl {
    /// @notice Accounts allowed to anchor roots (the SM-DP+'s chain key).
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    /// @notice One download event as anchored.
    struct EventRecord {
        bytes32 transactionIdHash; // keccak256 of the SGP.22 transactionId
        bytes32 subscriber; // identity commitment, or the Subscriber contract address left-padded, or zero
        bytes32 profileTypeHash; // keccak256 of the UTF-8 profile type
        uint8 outcome; // 0 successResult, 1 errorResult (eUICC), 2 the SM-DP+ ended the download
        bytes32 resultHash; // keccak256 of the canonical result text
        uint64 occurredAt; // unix seconds
    }

    struct Batch {
        uint64 batchNumber; // 1-based; 0 means "not anchored"
        uint32 leafCount;
        uint64 anchoredAt; // block timestamp
        uint64 blockNumber;
    }

    mapping(bytes32 root => Batch) private _batches;
    uint64 public batchCount;

    event RootAnchored(bytes32 indexed root, uint64 indexed batchNumber, uint32 leafCount, address anchorer);

    error RootAlreadyAnchored(bytes32 root, uint64 batchNumber);
    error EmptyBatch();

    constructor(address admin, address firstAnchorer) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, firstAnchorer);
    }

    /// @notice Anchors the root of a batch of `leafCount` event records. A root is anchored once only, so a
    /// resubmitted batch can never be counted twice.
    function anchor(bytes32 root, uint32 leafCount) external onlyRole(ANCHORER_ROLE) returns (uint64 batchNumber) {
        if (leafCount == 0) revert EmptyBatch();
        Batch storage existing = _batches[root];
        if (existing.batchNumber != 0) revert RootAlreadyAnchored(root, existing.batchNumber);
        batchNumber = ++batchCount;
        _batches[root] = Batch(batchNumber, leafCount, uint64(block.timestamp), uint64(block.number));
        emit RootAnchored(root, batchNumber, leafCount, msg.sender);
    }

    /// @notice The anchored batch with this root (batchNumber 0 if none).
    function batchOf(bytes32 root) external view returns (Batch memory) {
        return _batches[root];
    }

    /// @notice The leaf hash of a record, as the off-chain tree computes it.
    function leafHash(EventRecord calldata record) public pure returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    keccak256(
                        abi.encode(
                            record.transactionIdHash,
                            record.subscriber,
                            record.profileTypeHash,
                            record.outcome,
                            record.resultHash,
                            record.occurredAt
                        )
                    )
                )
            );
    }

    /// @notice True when `root` is anchored and `proof` shows that `leaf` is in its tree.
    function verifyLeaf(bytes32 root, bytes32[] calldata proof, bytes32 leaf) public view returns (bool) {
        return _batches[root].batchNumber != 0 && MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @notice True when `root` is anchored and `proof` shows that `record` is in its tree.
    function verifyRecord(
        bytes32 root,
        bytes32[] calldata proof,
        EventRecord calldata record
    ) external view returns (bool) {
        return verifyLeaf(root, proof, leafHash(record));
    }
}
