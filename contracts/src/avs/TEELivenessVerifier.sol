// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {BN254} from "../libraries/BN254.sol";
import {ITEELivenessVerifier} from "../interfaces/ITEELivenessVerifier.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {TEELivenessVerifierStorage} from "./TEELivenessVerifierStorage.sol";
import {TEEQuorumPolicy} from "./TEEQuorumPolicy.sol";

/// @title Records that a TEE prover recently attested a BLS public key (Automata's interface, plus
///        submitLivenessProofV3: only the key's owner can choose the prover its key is bound to, and
///        submitLivenessProofV4: per-TEE-quorum attestation policies, TEEQuorumPolicy).
/// @notice Behind a Proxy. Storage (contracts/layout/TEELivenessVerifier.tsv): slots 0-49 Initializable
///         and Ownable (both initialisation fields and the owner share slot 0, then the owner's 49-slot
///         gap), 50-99 TEELivenessVerifierStorage; each block ends in a gap.
contract TEELivenessVerifier is Initializable, Ownable, TEELivenessVerifierStorage, TEEQuorumPolicy {
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc ITEELivenessVerifier
    function initialize(address _initialOwner, address _attestationAddr, uint256 _maxBlockNumberDiff, uint256 _attestValiditySeconds)
        public
        initializer
    {
        _configure(_initialOwner, _attestationAddr, _maxBlockNumberDiff, _attestValiditySeconds);
    }

    /// @inheritdoc ITEELivenessVerifier
    function reinitialize(uint8 i, address _initialOwner, address _attestationAddr, uint256 _maxBlockNumberDiff, uint256 _attestValiditySeconds)
        public
        reinitializer(i)
    {
        _configure(_initialOwner, _attestationAddr, _maxBlockNumberDiff, _attestValiditySeconds);
    }

    function _configure(address o, address a, uint256 diff, uint256 validity) internal {
        _setAttestationVerifier(a);
        _setMaxBlockNumberDiff(diff);
        _setAttestValiditySeconds(validity);
        _transferOwnership(o);
    }

    /// @inheritdoc ITEELivenessVerifier
    function changeMaxBlockNumberDiff(uint256 _maxBlockNumberDiff) external onlyOwner {
        _setMaxBlockNumberDiff(_maxBlockNumberDiff);
    }

    /// @inheritdoc ITEELivenessVerifier
    function changeAttestationImpl(address _attestationAddr) external onlyOwner {
        _setAttestationVerifier(_attestationAddr);
    }

    /// @inheritdoc ITEELivenessVerifier
    function changeAttestValiditySeconds(uint256 val) external onlyOwner {
        _setAttestValiditySeconds(val);
    }

    function _setAttestationVerifier(address a) internal {
        emit AttestationVerifierUpdated(address(attestationVerifier), a);
        attestationVerifier = IAttestationVerifier(a);
    }

    function _setMaxBlockNumberDiff(uint256 diff) internal {
        emit MaxBlockNumberDiffUpdated(maxBlockNumberDiff, diff);
        maxBlockNumberDiff = diff;
    }

    function _setAttestValiditySeconds(uint256 validity) internal {
        emit AttestValiditySecondsUpdated(attestValiditySeconds, validity);
        attestValiditySeconds = validity;
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyMrEnclave(bytes32 _mrenclave) external view returns (bool) {
        return attestationVerifier.verifyMrEnclave(_mrenclave);
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyMrSigner(bytes32 _mrsigner) external view returns (bool) {
        return attestationVerifier.verifyMrSigner(_mrsigner);
    }

    /// @notice Tag of the liveness authorization message (livenessAuthorizationDigest).
    bytes32 public constant LIVENESS_AUTHORIZATION_TYPEHASH =
        keccak256("MpavsLivenessAuthorization(uint256 chainId,address verifier,address prover,bytes32 reportDataHash)");

    /// @inheritdoc ITEELivenessVerifier
    /// @dev Always reverts: without the key's signature anyone could re-bind another operator's key to
    ///      their own enclave (quote from any allowed enclave, the victim's public key in ReportDataV2) and
    ///      make the aggregator reject the victim as prover_mismatch. Accepting V2 for keys never bound
    ///      would still let anyone mark a key live that its owner never attested, so it is refused too.
    function submitLivenessProofV2(ReportDataV2 calldata, bytes calldata) public payable {
        revert LivenessAuthorizationRequired();
    }

    /// @inheritdoc ITEELivenessVerifier
    function submitLivenessProofV3(
        ReportDataV2 calldata _data,
        bytes calldata _report,
        BN254.G2Point calldata _pubkeyG2,
        BN254.G1Point calldata _authSig
    ) public payable {
        if (quorumPolicyRequired) revert QuorumPolicyRequired();
        (address prover, bytes32 reportHash) = _verifyReport(_data, _report);
        bytes32 digest = _authorizationDigest(_data, prover);
        _authorize(_data, _pubkeyG2, _authSig, digest);
        bytes32 proverKey = _record(_data, prover, reportHash, digest);
        if (livenessPolicyRecords[proverKey].kind != KIND_NONE) delete livenessPolicyRecords[proverKey];
    }

    /// @notice Tag of the quorum-bound liveness authorization message (livenessAuthorizationDigestV4).
    bytes32 public constant LIVENESS_AUTHORIZATION_V4_TYPEHASH = keccak256(
        "MpavsLivenessAuthorizationV4(uint256 chainId,address verifier,address prover,bytes32 reportDataHash,uint8 quorumNumber)"
    );

    /// @inheritdoc ITEELivenessVerifier
    function submitLivenessProofV4(
        ReportDataV2 calldata _data,
        bytes calldata _report,
        BN254.G2Point calldata _pubkeyG2,
        BN254.G1Point calldata _authSig,
        uint8 _quorumNumber
    ) public payable {
        (address prover, LivenessPolicyRecord memory rec) = _verifyReportV4(_data, _report, _quorumNumber);
        bytes32 digest = _authorizationDigestV4(_data, prover, _quorumNumber);
        _authorize(_data, _pubkeyG2, _authSig, digest);
        bytes32 proverKey = _record(_data, prover, rec.reportHash, digest);
        livenessPolicyRecords[proverKey] = rec;
        emit LivenessProofBound(proverKey, _quorumNumber, rec.kind, rec.identity, rec.tcbStatus);
    }

    /// @dev The reference block, the quote through verifyQuote (forwarding msg.value), its REPORTDATA and the
    ///      quorum's policy. Returns the prover and the record the proof gets.
    function _verifyReportV4(ReportDataV2 calldata _data, bytes calldata _report, uint8 _quorumNumber)
        internal
        returns (address prover, LivenessPolicyRecord memory rec)
    {
        _checkReference(_data);
        IAttestationVerifier.VerifiedQuote memory vq = attestationVerifier.verifyQuote{value: msg.value}(_report);
        bytes32 reportHash;
        (prover, reportHash) = _proverOf(_data, _report, vq.reportData);
        rec = _admit(_quorumNumber, vq, reportHash);
    }

    /// @dev The key's BLS authorization over `digest`, once.
    function _authorize(
        ReportDataV2 calldata _data,
        BN254.G2Point calldata _pubkeyG2,
        BN254.G1Point calldata _authSig,
        bytes32 digest
    ) internal {
        if (livenessAuthorizationUsed[digest]) revert LivenessAuthorizationAlreadyUsed();
        BN254.G1Point memory pk1 = BN254.G1Point(uint256(_data.pubkey.x), uint256(_data.pubkey.y));
        if (!_checkAuthorization(_authSig, pk1, _pubkeyG2, BN254.hashToG1(digest))) revert InvalidLivenessAuthorization();
        livenessAuthorizationUsed[digest] = true;
    }

    /// @dev Marks data.pubkey live now, bound to `prover`, and the quote used; emits LivenessProofAuthorized and
    ///      LivenessProofSubmitted. Returns keccak256(abi.encode(x, y)).
    function _record(ReportDataV2 calldata _data, address prover, bytes32 reportHash, bytes32 digest)
        internal
        returns (bytes32 proverKey)
    {
        proverKey = keccak256(abi.encode(_data.pubkey.x, _data.pubkey.y));
        _attestedProvers[proverKey] = Prover(_data.pubkey, block.timestamp);
        attestedProverAddr[proverKey] = prover;
        attestedReports[reportHash] = true;
        emit LivenessProofAuthorized(proverKey, prover, digest);
        emit LivenessProofSubmitted(proverKey, prover, _data.pubkey.x, _data.pubkey.y, reportHash, block.timestamp);
    }

    /// @inheritdoc ITEELivenessVerifier
    function livenessAuthorizationDigestV4(ReportDataV2 calldata _data, address _prover, uint8 _quorumNumber)
        external
        view
        returns (bytes32)
    {
        return _authorizationDigestV4(_data, _prover, _quorumNumber);
    }

    function _authorizationDigestV4(ReportDataV2 calldata _data, address _prover, uint8 _quorumNumber)
        internal
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(
            LIVENESS_AUTHORIZATION_V4_TYPEHASH, block.chainid, address(this), _prover, keccak256(abi.encode(_data)), _quorumNumber
        ));
    }

    /// @inheritdoc ITEELivenessVerifier
    /// @dev Only the TCB status of a quote can change on re-verification (the body is the same bytes): the
    ///      proof is voided when the quote, verified now, would not be admitted by the quorum's current policy.
    ///      A verifier refusal (e.g. expired collateral) reverts here and voids nothing.
    function invalidateLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata report) external payable {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        LivenessPolicyRecord memory r = livenessPolicyRecords[key];
        if (r.kind == KIND_NONE || _attestedProvers[key].time == 0) revert NoBoundLivenessProof();
        if (keccak256(report) != r.reportHash) revert NotRecordedQuote();
        IAttestationVerifier.VerifiedQuote memory vq = attestationVerifier.verifyQuote{value: msg.value}(report);
        r.tcbStatus = vq.tcbStatus;
        if (_inPolicy(r)) revert LivenessProofInPolicy();
        _attestedProvers[key].time = 0;
        emit LivenessProofInvalidated(key, msg.sender, vq.tcbStatus);
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyLivenessProofV3(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey, uint8 quorumNumber)
        external
        view
        returns (bool)
    {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        LivenessPolicyRecord memory r = livenessPolicyRecords[key];
        return r.kind != KIND_NONE && r.quorumNumber == quorumNumber && attestedProverAddr[key] == proverKey
            && _attestedProvers[key].time + attestValiditySeconds > block.timestamp && _inPolicy(r);
    }

    /// @dev Gas for the 2-pair pairing check (113000 since EIP-1108; BLSSignatureChecker's cap), so that an
    ///      invalid G2 point costs no more than a valid one.
    uint256 internal constant PAIRING_GAS = 120000;

    /// @inheritdoc ITEELivenessVerifier
    function livenessAuthorizationVersion() external pure returns (uint256) {
        return 2;
    }

    /// @inheritdoc ITEELivenessVerifier
    function livenessAuthorizationDigest(ReportDataV2 calldata _data, address _prover) external view returns (bytes32) {
        return _authorizationDigest(_data, _prover);
    }

    /// @inheritdoc ITEELivenessVerifier
    function livenessAuthorizationMessageHash(ReportDataV2 calldata _data, address _prover)
        external
        view
        returns (BN254.G1Point memory)
    {
        return BN254.hashToG1(_authorizationDigest(_data, _prover));
    }

    function _authorizationDigest(ReportDataV2 calldata _data, address _prover) internal view returns (bytes32) {
        return keccak256(
            abi.encode(LIVENESS_AUTHORIZATION_TYPEHASH, block.chainid, address(this), _prover, keccak256(abi.encode(_data)))
        );
    }

    /// @dev The reference block, the quote (through the attestation verifier, forwarding msg.value) and its
    ///      REPORTDATA = 0^12 || prover || keccak256(abi.encode(data)). Returns the prover and keccak256(quote).
    function _verifyReport(ReportDataV2 calldata _data, bytes calldata _report)
        internal
        returns (address prover, bytes32 reportHash)
    {
        _checkReference(_data);
        bytes memory reportData = attestationVerifier.verifyAttestation{value: msg.value}(_report);
        (prover, reportHash) = _proverOf(_data, _report, reportData);
    }

    /// @dev The reference block is in the past, younger than maxBlockNumberDiff and its hash the chain's.
    function _checkReference(ReportDataV2 calldata _data) internal view {
        if (_data.referenceBlockNumber >= block.number) revert InvalidBlockNumber();
        if (block.number - _data.referenceBlockNumber >= maxBlockNumberDiff) revert BlockNumberOutOfDate();
        if (blockhash(_data.referenceBlockNumber) != _data.referenceBlockHash) revert BlockNumberMismatch();
    }

    /// @dev The quote is new and its REPORTDATA = 0^12 || prover || keccak256(abi.encode(data)).
    function _proverOf(ReportDataV2 calldata _data, bytes calldata _report, bytes memory reportData)
        internal
        view
        returns (address prover, bytes32 reportHash)
    {
        bytes32 dataHash = keccak256(abi.encode(_data));
        reportHash = keccak256(_report);
        if (attestedReports[reportHash]) revert ReportAlreadyUsed();
        if (reportData.length != 64) revert INVALID_REPORT_DATA();
        bytes32 proverBytes;
        bytes32 reportDataHash;
        assembly {
            proverBytes := mload(add(reportData, 0x20))
            reportDataHash := mload(add(reportData, 0x40))
        }
        if (reportDataHash != dataHash) revert REPORT_DATA_MISMATCH(reportData);
        prover = address(uint160(uint256(proverBytes)));
    }

    /// @dev BLSApkRegistry's possession check on the authorization message h: with
    ///      gamma = keccak256(sig, pk1, pk2, h) mod r, e(sig + gamma*pk1, -G2) * e(h + gamma*G1, pk2) == 1, which
    ///      holds (but for negligible probability) only if sig = sk*h, pk1 = sk*G1 and pk2 = sk*G2 for one sk.
    ///      The zero key is refused (with pk2 = 0 and sig = 0 the equation holds for any h).
    function _checkAuthorization(
        BN254.G1Point calldata sig,
        BN254.G1Point memory pk1,
        BN254.G2Point calldata pk2,
        BN254.G1Point memory h
    ) internal view returns (bool) {
        if (pk1.X == 0 && pk1.Y == 0) return false;
        uint256 gamma = uint256(keccak256(abi.encodePacked(
            sig.X, sig.Y, pk1.X, pk1.Y, pk2.X[0], pk2.X[1], pk2.Y[0], pk2.Y[1], h.X, h.Y
        ))) % BN254.FR_MODULUS;
        BN254.G1Point memory s = BN254.G1Point(sig.X, sig.Y);
        (bool ok, bool valid) = BN254.safePairing(
            BN254.plus(s, BN254.scalar_mul(pk1, gamma)),
            BN254.negGeneratorG2(),
            BN254.plus(h, BN254.scalar_mul(BN254.generatorG1(), gamma)),
            pk2,
            PAIRING_GAS
        );
        return ok && valid;
    }

    /// @inheritdoc ITEELivenessVerifier
    function attestedProvers(bytes32 pubkeyHash) external view returns (Pubkey memory pubkey, uint256 time) {
        Prover storage p = _attestedProvers[pubkeyHash];
        pubkey = p.pubkey;
        time = p.time != 0 && _policyHolds(pubkeyHash) ? p.time : 0;
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY) public view returns (bool) {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        return _attestedProvers[key].time + attestValiditySeconds > block.timestamp && _policyHolds(key);
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyLivenessProofV2(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey) public view returns (bool) {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        return _attestedProvers[key].time + attestValiditySeconds > block.timestamp && attestedProverAddr[key] == proverKey
            && _policyHolds(key);
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyAttestationV2(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata data) public returns (bool) {
        bytes memory reportData = attestationVerifier.verifyAttestation(data);
        if (reportData.length != 64) return false;
        bytes32 a;
        bytes32 b;
        assembly {
            a := mload(add(reportData, 0x20))
            b := mload(add(reportData, 0x40))
        }
        return a == pubkeyX && b == pubkeyY;
    }

    /// @inheritdoc ITEELivenessVerifier
    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256) {
        return attestationVerifier.estimateBaseFeeVerifyOnChain{value: msg.value}(rawQuote);
    }
}
